// snn_adder_tree: the exact sum of N signed IN_W-bit values (output IN_W + LEVELS bits, so
// nothing overflows), as a balanced tree whose level l adds pairs of level l − 1's values
// into IN_W + l bits. REGISTERED says which levels end in a register (bit l − 1: level l;
// the compiler sets the last level's), moving when `en` is high.
// Latency = the registered levels, LEVELS = ceil(log2(N)); N = 1 is a wire.
`default_nettype none
module snn_adder_tree #(
    parameter N          = 4,
    parameter IN_W       = 8,
    parameter LEVELS     = 2,          // ceil(log2(N))
    parameter REGISTERED = 2           // a register after level 2
) (
    input  wire                          clk,
    input  wire                          en,
    input  wire [N*IN_W-1:0]             x,
    output wire signed [IN_W+LEVELS-1:0] sum
);
    localparam P2 = 1 << LEVELS;
    genvar l, i;
    generate
        for (l = 0; l <= LEVELS; l = l + 1) begin : level
            localparam COUNT = P2 >> l;
            localparam W = IN_W + l;
            wire [W*COUNT-1:0] v;
            if (l == 0) begin : leaves
                for (i = 0; i < COUNT; i = i + 1) begin : leaf
                    if (i < N) begin : value
                        assign v[W*i +: W] = x[IN_W*i +: IN_W];
                    end else begin : pad
                        assign v[W*i +: W] = {W{1'b0}};
                    end
                end
            end else begin : sums
                for (i = 0; i < COUNT; i = i + 1) begin : node
                    wire [W-2:0] a = level[l-1].v[(W-1)*(2*i) +: W-1];
                    wire [W-2:0] b = level[l-1].v[(W-1)*(2*i+1) +: W-1];
                    wire [W-1:0] s = {a[W-2], a} + {b[W-2], b};
                    if (REGISTERED[l-1]) begin : registered
                        reg [W-1:0] r;
                        initial r = {W{1'b0}};
                        always @(posedge clk) if (en) r <= s;
                        assign v[W*i +: W] = r;
                    end else begin : combinational
                        assign v[W*i +: W] = s;
                    end
                end
            end
        end
        if (LEVELS == 0) begin : wire_through
            wire unused_clock = clk & en;
        end
        assign sum = level[LEVELS].v;
    endgenerate
endmodule
`default_nettype wire
