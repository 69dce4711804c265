// Unit test of snn_act: ReLU and identity for every value of fixed<6, 3>, a sigmoid table of
// 16 entries over [-4, 4) (index (z + 32) >> 2), and one over [-2, 2) (index (z + 16) >> 1,
// clamped at both ends: the format reaches past the table), one clock after the
// pre-activation; `en` low holds the outputs.
`timescale 1ns / 1ps
module tb_snn_act;
    reg clk = 1'b0;
    always #5 clk = ~clk;
    reg en = 1'b1;
    reg signed [5:0] z = 6'sd0;
    wire signed [5:0] relu_v, relu_d, id_v, id_d, sig_v, sig_d;
    snn_act #(.W(6), .KIND(1), .ONE(8)) relu (.clk(clk), .en(en), .z(z), .value(relu_v), .derivative(relu_d));
    snn_act #(.W(6), .KIND(2), .ONE(8)) identity (.clk(clk), .en(en), .z(z), .value(id_v), .derivative(id_d));
    snn_act #(.W(6), .KIND(0), .ONE(8), .OFFSET(32), .IDX_SHIFT(2), .ENTRIES(16), .IDX_W(4), .TABLE("act_table.mem")) sigmoid (
        .clk(clk), .en(en), .z(z), .value(sig_v), .derivative(sig_d)
    );
    wire signed [5:0] narrow_v, narrow_d;
    snn_act #(.W(6), .KIND(0), .ONE(8), .OFFSET(16), .IDX_SHIFT(1), .ENTRIES(16), .IDX_W(4), .TABLE("act_table.mem")) narrow (
        .clk(clk), .en(en), .z(z), .value(narrow_v), .derivative(narrow_d)
    );
    integer v, index, errors;
    initial begin
        errors = 0;
        for (v = -32; v < 32; v = v + 1) begin
            z = v;
            @(negedge clk);
            if (relu_v !== (v > 0 ? v : 0) || relu_d !== (v > 0 ? 8 : 0)) begin
                errors = errors + 1; $display("FAIL relu %0d: %0d %0d", v, relu_v, relu_d);
            end
            if (id_v !== v || id_d !== 8) begin
                errors = errors + 1; $display("FAIL identity %0d", v);
            end
            // The table holds {value = index, derivative = 15 - index}.
            index = (v + 32) / 4;
            if (sig_v !== index || sig_d !== 15 - index) begin
                errors = errors + 1; $display("FAIL sigmoid %0d: %0d %0d, want entry %0d", v, sig_v, sig_d, index);
            end
            // floor((z + 16) / 2), clamped to the table.
            index = v < -16 ? 0 : v > 15 ? 15 : (v + 16) / 2;
            if (narrow_v !== index || narrow_d !== 15 - index) begin
                errors = errors + 1; $display("FAIL narrow sigmoid %0d: %0d, want entry %0d", v, narrow_v, index);
            end
        end
        en = 1'b0;
        z = 6'sd0;
        @(negedge clk);
        if (relu_v !== 31 || sig_v !== 15) begin errors = errors + 1; $display("FAIL stall"); end
        if (errors == 0) $display("PASS snn_act");
        $finish;
    end
endmodule
