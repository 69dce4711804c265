// snn_delay: DEPTH registers in a row, moving when `en` is high (DEPTH = 0: a wire). The last
// register stays a flip-flop: the stages before it may become a shift register (SRL16E or
// SRLC32E, whose clock-to-out is 1.5 ns), the output is a register's (0.3 ns), so a delay line
// adds nothing to the logic it feeds.
`default_nettype none
module snn_delay #(
    parameter WIDTH = 1,
    parameter DEPTH = 1
) (
    input  wire             clk,
    input  wire             en,
    input  wire [WIDTH-1:0] d,
    output wire [WIDTH-1:0] q
);
    generate
        if (DEPTH == 0) begin : wire_through
            wire unused_clock = clk & en;
            assign q = d;
        end else begin : shift
            wire [WIDTH-1:0] into_last;
            if (DEPTH == 1) begin : direct
                assign into_last = d;
            end else begin : chain
                reg [WIDTH-1:0] stage [0:DEPTH-2];
                integer i;
                initial for (i = 0; i < DEPTH - 1; i = i + 1) stage[i] = {WIDTH{1'b0}};
                always @(posedge clk) begin
                    if (en) begin
                        stage[0] <= d;
                        for (i = 1; i < DEPTH - 1; i = i + 1) stage[i] <= stage[i-1];
                    end
                end
                assign into_last = stage[DEPTH-2];
            end
            // Kept out of shift-register inference: Vivado reads `shreg_extract` on the
            // register, Yosys `keep` on its process.
            (* shreg_extract = "no" *) reg [WIDTH-1:0] last;
            initial last = {WIDTH{1'b0}};
            (* keep *) always @(posedge clk) if (en) last <= into_last;
            assign q = last;
        end
    endgenerate
endmodule
`default_nettype wire
